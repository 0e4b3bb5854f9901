-- TPC-DS Q7 (Appendix B.7): per item, the average quantity, list price, coupon amount and sales
-- price of store sales under promotions not run by e-mail or not as an event, for one customer
-- gender, marital status and education in one year.
-- @param GEN 'M' ~ choice(vocab('gender'))
-- @param MS 'S' ~ choice(vocab('marital_status'))
-- @param ES 'College' ~ choice(vocab('education'))
-- @param YEAR 2000 ~ uniform(1998, 2002)
select
    i_item_id,
    avg(ss_quantity) as agg1,
    avg(ss_list_price) as agg2,
    avg(ss_coupon_amt) as agg3,
    avg(ss_sales_price) as agg4
from store_sales, customer_demographics, date_dim, item, promotion
where d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and cd_demo_sk = ss_cdemo_sk
  and p_promo_sk = ss_promo_sk
  and cd_gender = '${GEN}'
  and cd_marital_status = '${MS}'
  and cd_education_status = '${ES}'
  and (p_channel_email = 'N' or p_channel_event = 'N')
  and d_year = ${YEAR}
group by i_item_id
order by i_item_id
limit 100
